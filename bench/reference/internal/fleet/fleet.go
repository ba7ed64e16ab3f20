// Package fleet builds the benchmark fleet with go-control-plane's generated Envoy types: C EDS
// clusters `cluster-i` and their ClusterLoadAssignments with E endpoints each, in zone z1. The
// shape is bench/run.ts's (`loadAssignment`), so Legation and the reference serve the same bytes'
// worth of configuration.
package fleet

import (
	"fmt"
	"time"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpointv3 "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// ClusterName is the name of cluster i (and of its load assignment).
func ClusterName(i int) string { return fmt.Sprintf("cluster-%d", i) }

// Cluster is an EDS cluster whose endpoints come over ADS, with a 1 s connect timeout.
func Cluster(i int) *clusterv3.Cluster {
	return &clusterv3.Cluster{
		Name:                 ClusterName(i),
		ClusterDiscoveryType: &clusterv3.Cluster_Type{Type: clusterv3.Cluster_EDS},
		EdsClusterConfig: &clusterv3.Cluster_EdsClusterConfig{
			EdsConfig: &corev3.ConfigSource{ConfigSourceSpecifier: &corev3.ConfigSource_Ads{Ads: &corev3.AggregatedConfigSource{}}},
		},
		ConnectTimeout: durationpb.New(time.Second),
	}
}

// LoadAssignment is cluster i's endpoints: 10.(i>>8).(i&255).(e+1):portBase+e for e < endpoints.
func LoadAssignment(i, endpoints int, portBase uint32) *endpointv3.ClusterLoadAssignment {
	lb := make([]*endpointv3.LbEndpoint, endpoints)
	for e := range endpoints {
		lb[e] = &endpointv3.LbEndpoint{HostIdentifier: &endpointv3.LbEndpoint_Endpoint{Endpoint: &endpointv3.Endpoint{
			Address: &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
				Address:       fmt.Sprintf("10.%d.%d.%d", (i>>8)&255, i&255, e+1),
				PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: portBase + uint32(e)},
			}}},
		}}}
	}
	return &endpointv3.ClusterLoadAssignment{
		ClusterName: ClusterName(i),
		Endpoints: []*endpointv3.LocalityLbEndpoints{{
			Locality:            &corev3.Locality{Zone: "z1"},
			LoadBalancingWeight: wrapperspb.UInt32(1),
			LbEndpoints:         lb,
		}},
	}
}
