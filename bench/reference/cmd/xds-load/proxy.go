package main

import (
	"context"
	"math/rand/v2"
	"time"
	"unique"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	resourcev3 "github.com/envoyproxy/go-control-plane/pkg/resource/v3"
	"google.golang.org/grpc"
)

const (
	clusterTypeURL  = resourcev3.ClusterType
	endpointTypeURL = resourcev3.EndpointType
)

var (
	sotwDesc    = &discovery.AggregatedDiscoveryService_ServiceDesc.Streams[0]
	deltaDesc   = &discovery.AggregatedDiscoveryService_ServiceDesc.Streams[1]
	sotwMethod  = "/" + discovery.AggregatedDiscoveryService_ServiceDesc.ServiceName + "/" + sotwDesc.StreamName
	deltaMethod = "/" + discovery.AggregatedDiscoveryService_ServiceDesc.ServiceName + "/" + deltaDesc.StreamName
)

// proxy is one simulated Envoy: one ADS stream at a time, wildcard CDS, then EDS for every
// cluster it holds, an ACK for every response. Its state is what it needs to ACK and to
// reconnect (delta: the name → version of every resource it holds, interned), nothing more.
type proxy struct {
	index int
	id    string

	// SotW: the last ACKed version per type, the EDS names subscribed (a slice shared by every proxy).
	cdsVersion, edsVersion string
	edsNames               []string
	edsCount               int

	// Delta: what the proxy holds, for initial_resource_versions on a reconnect.
	cds, eds map[unique.Handle[string]]unique.Handle[string]

	synced     bool
	firstAcked bool
	doneEpoch  int
}

// run keeps the proxy's stream up: it reconnects with backoff after an error (as Envoy does, with
// jittered exponential backoff from 500 ms), and waits for the next generation after a disconnect.
func (p *proxy) run(l *load) {
	g := l.current.Load()
	backoff := 500 * time.Millisecond
	for {
		err := p.stream(l, g)
		if g.ctx.Err() != nil {
			// Disconnected on purpose: wait for the orchestrator's reconnect.
			l.track.closed(p.index)
			select {
			case <-g.next:
			case <-l.quit:
				return
			}
			g = l.current.Load()
			backoff = 500 * time.Millisecond
			continue
		}
		select {
		case <-l.quit:
			return
		default:
		}
		l.track.retry(err)
		sleep := time.Duration(rand.Int64N(int64(backoff))) + backoff/2
		if backoff < 30*time.Second {
			backoff *= 2
		}
		select {
		case <-time.After(sleep):
		case <-g.ctx.Done():
		case <-l.quit:
			return
		}
	}
}

func (p *proxy) node(l *load) *corev3.Node {
	return &corev3.Node{
		Id:                   p.id,
		Cluster:              l.fleet,
		UserAgentName:        l.userAgentName,
		UserAgentVersionType: &corev3.Node_UserAgentVersion{UserAgentVersion: l.userAgentVersion},
	}
}

// acked is called right after an ACK was written: it tells the tracker what the proxy reached.
func (p *proxy) acked(l *load, typeURL string, received time.Time, changed bool) {
	now := time.Now()
	if !p.firstAcked {
		p.firstAcked = true
		l.track.firstAck(p.index, now)
	}
	if !p.synced && p.isSynced() {
		p.synced = true
		l.track.synced(p.index, now)
	}
	if typeURL == endpointTypeURL && changed {
		if m := l.mark.Load(); m != nil && m.epoch > p.doneEpoch && !received.Before(m.t0) {
			p.doneEpoch = m.epoch
			l.track.converged(p.index, m.epoch, now)
		}
	}
}

func (p *proxy) isSynced() bool {
	if p.cds != nil {
		return len(p.cds) > 0 && len(p.eds) == len(p.cds)
	}
	return p.cdsVersion != "" && p.edsVersion != "" && p.edsCount == len(p.edsNames)
}

func (p *proxy) stream(l *load, g *generation) error {
	ctx, cancel := context.WithCancel(g.ctx)
	defer cancel()
	conn := g.conns[p.index/l.streamsPerConn]
	if l.delta {
		cs, err := conn.NewStream(ctx, deltaDesc, deltaMethod, grpc.ForceCodecV2(wireCodec{}))
		if err != nil {
			return err
		}
		return p.deltaStream(l, cs)
	}
	cs, err := conn.NewStream(ctx, sotwDesc, sotwMethod, grpc.ForceCodecV2(wireCodec{}))
	if err != nil {
		return err
	}
	return p.sotwStream(l, cs)
}

// sotwStream: the first request carries the node and, after a reconnect, the versions the proxy
// holds (as Envoy does); CDS is wildcard (no names), EDS names every cluster received.
func (p *proxy) sotwStream(l *load, cs grpc.ClientStream) error {
	if err := cs.SendMsg(&discovery.DiscoveryRequest{Node: p.node(l), TypeUrl: clusterTypeURL, VersionInfo: p.cdsVersion}); err != nil {
		return err
	}
	if len(p.edsNames) > 0 {
		if err := cs.SendMsg(&discovery.DiscoveryRequest{TypeUrl: endpointTypeURL, ResourceNames: p.edsNames, VersionInfo: p.edsVersion}); err != nil {
			return err
		}
	}
	for {
		var res sotwResponse
		if err := cs.RecvMsg(&res); err != nil {
			return err
		}
		received := time.Now()
		typeURL := res.header.GetTypeUrl()
		ack := &discovery.DiscoveryRequest{TypeUrl: typeURL, VersionInfo: res.header.GetVersionInfo(), ResponseNonce: res.header.GetNonce()}
		changed := false
		switch typeURL {
		case clusterTypeURL:
			p.cdsVersion = res.header.GetVersionInfo()
		case endpointTypeURL:
			ack.ResourceNames = p.edsNames
			changed = res.header.GetVersionInfo() != p.edsVersion
			p.edsVersion = res.header.GetVersionInfo()
			p.edsCount = res.count
		}
		if err := cs.SendMsg(ack); err != nil {
			return err
		}
		// Envoy ACKs the clusters, then (its EDS subscriptions having changed) asks for their endpoints.
		if typeURL == clusterTypeURL && !sameNames(res.names, p.edsNames) {
			p.edsNames = res.names
			if err := cs.SendMsg(&discovery.DiscoveryRequest{TypeUrl: endpointTypeURL, ResourceNames: p.edsNames, VersionInfo: p.edsVersion}); err != nil {
				return err
			}
		}
		l.track.received(typeURL, res.count)
		p.acked(l, typeURL, received, changed)
	}
}

// sameNames compares the shared name slices by identity first (the common case), then by content.
func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func versionsOf(m map[unique.Handle[string]]unique.Handle[string]) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k.Value()] = v.Value()
	}
	return out
}

func namesOf(m map[unique.Handle[string]]unique.Handle[string]) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k.Value())
	}
	return out
}

// deltaStream: CDS by the legacy wildcard (a first request with no names), EDS for every cluster
// held; a reconnect sends initial_resource_versions of everything held, per type.
func (p *proxy) deltaStream(l *load, cs grpc.ClientStream) error {
	if p.cds == nil {
		p.cds = map[unique.Handle[string]]unique.Handle[string]{}
		p.eds = map[unique.Handle[string]]unique.Handle[string]{}
	}
	if err := cs.SendMsg(&discovery.DeltaDiscoveryRequest{Node: p.node(l), TypeUrl: clusterTypeURL, InitialResourceVersions: versionsOf(p.cds)}); err != nil {
		return err
	}
	if len(p.cds) > 0 {
		if err := cs.SendMsg(&discovery.DeltaDiscoveryRequest{TypeUrl: endpointTypeURL, ResourceNamesSubscribe: namesOf(p.cds), InitialResourceVersions: versionsOf(p.eds)}); err != nil {
			return err
		}
	}
	for {
		var res deltaResponse
		if err := cs.RecvMsg(&res); err != nil {
			return err
		}
		received := time.Now()
		typeURL := res.header.GetTypeUrl()
		held := p.eds
		if typeURL == clusterTypeURL {
			held = p.cds
		} else if typeURL != endpointTypeURL {
			held = nil
		}
		var added, removed []string
		if held != nil {
			for _, r := range res.resources {
				if _, ok := held[r.name]; !ok {
					added = append(added, r.name.Value())
				}
				held[r.name] = r.version
			}
			for _, name := range res.header.GetRemovedResources() {
				h := unique.Make(name)
				if _, ok := held[h]; ok {
					delete(held, h)
					removed = append(removed, name)
				}
			}
		}
		if err := cs.SendMsg(&discovery.DeltaDiscoveryRequest{TypeUrl: typeURL, ResponseNonce: res.header.GetNonce()}); err != nil {
			return err
		}
		if typeURL == clusterTypeURL && (len(added) > 0 || len(removed) > 0) {
			for _, name := range removed {
				delete(p.eds, unique.Make(name))
			}
			if err := cs.SendMsg(&discovery.DeltaDiscoveryRequest{TypeUrl: endpointTypeURL, ResourceNamesSubscribe: added, ResourceNamesUnsubscribe: removed}); err != nil {
				return err
			}
		}
		l.track.received(typeURL, len(res.resources)+len(res.header.GetRemovedResources()))
		p.acked(l, typeURL, received, len(res.resources) > 0 || len(res.header.GetRemovedResources()) > 0)
	}
}
