package main

import (
	"fmt"
	"sync"
	"unique"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
)

// A real Envoy decodes responses in C++; a load client that fully decoded a thousand EDS resources
// per response for a thousand streams would measure itself, not the server. So responses are read
// as Legation's Node bench client reads them (bench/ads-client.ts): the header fields through the
// generated types, the resources only counted (SotW) or reduced to name and version (delta). Field
// numbers come from the generated descriptors, not from hand-written constants.

func fieldNumber(m proto.Message, name protoreflect.Name) protowire.Number {
	f := m.ProtoReflect().Descriptor().Fields().ByName(name)
	if f == nil {
		panic(fmt.Sprintf("%s has no field %s", m.ProtoReflect().Descriptor().FullName(), name))
	}
	return f.Number()
}

var (
	sotwResourcesField  = fieldNumber(&discovery.DiscoveryResponse{}, "resources")
	deltaResourcesField = fieldNumber(&discovery.DeltaDiscoveryResponse{}, "resources")
	resourceBodyField   = fieldNumber(&discovery.Resource{}, "resource")
)

// splitField walks a message's wire bytes: every occurrence of field `skip` goes to onSkipped (the
// bytes of the embedded message, valid only during the call), every other field is appended to
// `rest`, which is returned for proto.Unmarshal into the generated type.
func splitField(b []byte, skip protowire.Number, rest []byte, onSkipped func([]byte)) ([]byte, error) {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return nil, protowire.ParseError(m)
		}
		if num == skip && typ == protowire.BytesType {
			v, _ := protowire.ConsumeBytes(b[n:])
			onSkipped(v)
		} else {
			rest = append(rest, b[:n+m]...)
		}
		b = b[n+m:]
	}
	return rest, nil
}

// sotwResponse is a DiscoveryResponse without its resources: their count, and for clusters their names.
type sotwResponse struct {
	header discovery.DiscoveryResponse
	count  int
	// names of the clusters (CDS only), shared by every stream that got the same response.
	names []string
}

// deltaResource is a delta resource's name and version, interned: every stream holds the same handles.
type deltaResource struct {
	name, version unique.Handle[string]
}

type deltaResponse struct {
	header    discovery.DeltaDiscoveryResponse
	resources []deltaResource
}

// clusterNames caches the names of a CDS response by (version_info, count): the response is the
// same for every stream of the fleet, so it is decoded once and the name slice is shared.
var clusterNames = struct {
	sync.Mutex
	byKey map[string][]string
}{byKey: map[string][]string{}}

func namesOfClusters(version string, raw [][]byte) ([]string, error) {
	key := fmt.Sprintf("%s\x00%d", version, len(raw))
	clusterNames.Lock()
	defer clusterNames.Unlock()
	if names, ok := clusterNames.byKey[key]; ok {
		return names, nil
	}
	names := make([]string, len(raw))
	for i, r := range raw {
		var a anypb.Any
		if err := proto.Unmarshal(r, &a); err != nil {
			return nil, err
		}
		var c clusterv3.Cluster
		if err := proto.Unmarshal(a.GetValue(), &c); err != nil {
			return nil, err
		}
		names[i] = c.GetName()
	}
	clusterNames.byKey[key] = names
	return names, nil
}

// wireCodec marshals requests with the generated types and reads responses as described above.
type wireCodec struct{}

func (wireCodec) Name() string { return "proto" }

func (wireCodec) Marshal(v any) (mem.BufferSlice, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("cannot marshal %T", v)
	}
	b, err := proto.Marshal(m)
	if err != nil {
		return nil, err
	}
	return mem.BufferSlice{mem.SliceBuffer(b)}, nil
}

func (wireCodec) Unmarshal(data mem.BufferSlice, v any) error {
	buf := data.MaterializeToBuffer(mem.DefaultBufferPool())
	defer buf.Free()
	b := buf.ReadOnlyData()
	switch r := v.(type) {
	case *sotwResponse:
		var raw [][]byte
		rest, err := splitField(b, sotwResourcesField, nil, func(res []byte) { raw = append(raw, res) })
		if err != nil {
			return err
		}
		if err := proto.Unmarshal(rest, &r.header); err != nil {
			return err
		}
		r.count = len(raw)
		if r.header.GetTypeUrl() == clusterTypeURL {
			names, err := namesOfClusters(r.header.GetVersionInfo(), raw)
			if err != nil {
				return err
			}
			r.names = names
		}
		return nil
	case *deltaResponse:
		var perr error
		var scratch []byte
		rest, err := splitField(b, deltaResourcesField, nil, func(res []byte) {
			var one discovery.Resource
			scratch, perr = splitField(res, resourceBodyField, scratch[:0], func([]byte) {})
			if perr == nil {
				perr = proto.Unmarshal(scratch, &one)
			}
			r.resources = append(r.resources, deltaResource{name: unique.Make(one.GetName()), version: unique.Make(one.GetVersion())})
		})
		if err != nil {
			return err
		}
		if perr != nil {
			return perr
		}
		return proto.Unmarshal(rest, &r.header)
	default:
		return fmt.Errorf("cannot unmarshal into %T", v)
	}
}
