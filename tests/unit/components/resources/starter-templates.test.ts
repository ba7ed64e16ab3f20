import { describe, expect, it } from 'vitest'
import { parseUpstream, STARTERS, starterBundle, starterIssues } from '../../../../components/resources/starter-templates'

describe('parseUpstream', () => {
  it('reads an IPv4 or bracketed IPv6 address and a port', () => {
    expect(parseUpstream('10.0.0.5:8080')).toEqual({ ok: true, address: '10.0.0.5', port: 8080 })
    expect(parseUpstream(' [::1]:50051 ')).toEqual({ ok: true, address: '::1', port: 50051 })
  })
  it('refuses a host name (EDS endpoints are not resolved), a missing or out-of-range port', () => {
    expect(parseUpstream('service:8080')).toMatchObject({ ok: false, message: expect.stringContaining('IP address') })
    expect(parseUpstream('10.0.0.5')).toMatchObject({ ok: false })
    expect(parseUpstream('10.0.0.5:70000')).toMatchObject({ ok: false, message: expect.stringContaining('65535') })
  })
})

describe('starterIssues', () => {
  it('accepts the defaults', () => {
    expect(starterIssues('http', STARTERS.http.defaults)).toEqual([])
    expect(starterIssues('grpc', STARTERS.grpc.defaults)).toEqual([])
  })
  it('names the field that is wrong', () => {
    expect(starterIssues('http', { name: 'eighty', upstream: '127.0.0.1:80' }).map((i) => i.field)).toEqual(['name'])
    expect(starterIssues('grpc', { name: 'Bad Name', upstream: 'nope' }).map((i) => i.field)).toEqual(['name', 'upstream'])
  })
})

describe('starterBundle', () => {
  it('HTTP: one of each kind, wired listener → route → cluster → endpoints, routing / to the upstream', () => {
    const docs = starterBundle('http', { name: '10080', upstream: '10.1.2.3:8080' })
    expect(docs.map((d) => `${d.type}/${d.name}`)).toEqual(['Listener/http', 'RouteConfiguration/http-routes', 'Cluster/upstream', 'ClusterLoadAssignment/upstream'])
    const listener = JSON.stringify(docs[0]!.resource)
    expect(listener).toContain('"port_value":10080')
    expect(listener).toContain('"route_config_name":"http-routes"')
    expect(JSON.stringify(docs[1]!.resource)).toContain('"prefix":"/"')
    expect(JSON.stringify(docs[3]!.resource)).toContain('"address":"10.1.2.3"')
  })
  it('gRPC proxyless: an API listener named as the service, its virtual host matching the service', () => {
    const docs = starterBundle('grpc', { name: 'greeter', upstream: '127.0.0.1:50051' })
    expect(docs.map((d) => `${d.type}/${d.name}`)).toEqual(['Listener/greeter', 'RouteConfiguration/greeter-route', 'Cluster/greeter', 'ClusterLoadAssignment/greeter'])
    expect(docs[0]!.resource).toHaveProperty('api_listener')
    expect(docs[0]!.resource).not.toHaveProperty('address')
    expect(JSON.stringify(docs[1]!.resource)).toContain('"domains":["greeter"]')
  })
  it('refuses input starterIssues refuses', () => {
    expect(() => starterBundle('grpc', { name: 'greeter', upstream: 'localhost:1' })).toThrow()
  })
})
