// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ClusterForm } from '@/components/forms/cluster-form'
import { EndpointsForm } from '@/components/forms/endpoints-form'
import { ListenerForm } from '@/components/forms/listener-form'
import { RouteConfigForm } from '@/components/forms/route-config-form'
import type { ResourceFormProps } from '@/components/forms/use-resource-form'
import { DEMO_RESOURCES } from '@/server/config/demo'
import type { ResourceJson } from '@/server/config/resource-types'

afterEach(cleanup)

const demo = (type: string) => DEMO_RESOURCES.find((r) => r.type === type)!.resource
const PICKERS = { clusters: ['service', 'api', 'db'], routes: ['local_route', 'admin'], secrets: ['web-cert'], endpoints: [] }
const PORT = 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value'

type FormComponent = (props: ResourceFormProps) => React.ReactNode

function renderForm(Form: FormComponent, initial: ResourceJson, extra: Partial<ResourceFormProps> = {}) {
  const onSubmit = vi.fn<(resource: ResourceJson) => void>()
  const onChange = vi.fn<(resource: ResourceJson) => void>()
  const utils = render(
    <>
      <Form formId="f" fleet="demo" mode="edit" initial={initial} issues={[]} pickers={PICKERS} onSubmit={onSubmit} onChange={onChange} {...extra} />
      <button type="submit" form="f">
        Save
      </button>
    </>,
  )
  const field = (name: string) => utils.container.querySelector<HTMLElement>(`[data-field="${name}"]`)!
  const control = (name: string) => utils.container.querySelector<HTMLInputElement & HTMLSelectElement>(`[name="${name}"]`)!
  const set = (name: string, value: string) => fireEvent.change(control(name), { target: { value } })
  const save = async () => {
    fireEvent.click(utils.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(onSubmit).toHaveBeenCalled())
    return onSubmit.mock.calls.at(-1)![0]
  }
  return { ...utils, field, control, set, save, onSubmit, onChange }
}

describe('ClusterForm', () => {
  const withExtras: ResourceJson = { ...demo('Cluster'), outlier_detection: { consecutive_5xx: 5 }, dns_lookup_family: 'V4_ONLY' }

  it('turns the fields into the cluster, keeping the fields it does not show', async () => {
    const form = renderForm(ClusterForm, withExtras)
    expect(form.control('localities.0.endpoints.0.address').value).toBe('service1')
    form.set('localities.0.endpoints.0.address', 'service2')
    form.set('localities.0.endpoints.0.weight', '3')
    form.set('connectTimeout', '2s')
    form.set('lbPolicy', 'LEAST_REQUEST')
    fireEvent.click(form.control('healthCheck.enabled'))
    await waitFor(() => expect(form.control('healthCheck.path')).toBeTruthy())
    form.set('healthCheck.path', '/ready')
    form.set('circuitBreaker.maxConnections', '100')
    const saved = await form.save()
    expect(saved).toEqual({
      name: 'service',
      connect_timeout: '2s',
      type: 'STRICT_DNS',
      lb_policy: 'LEAST_REQUEST',
      load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'service2', port_value: 8080 } } }, load_balancing_weight: 3 }] }] },
      outlier_detection: { consecutive_5xx: 5 },
      dns_lookup_family: 'V4_ONLY',
      health_checks: [{ timeout: '1s', interval: '5s', unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: '/ready' } }],
      circuit_breakers: { thresholds: [{ max_connections: 100 }] },
    })
    // Every edit is reported too (the YAML view and the unsaved-edits store use it).
    expect(form.onChange).toHaveBeenLastCalledWith(saved)
  })

  it('adds and removes endpoints', async () => {
    const form = renderForm(ClusterForm, demo('Cluster'))
    fireEvent.click(form.getByRole('button', { name: 'Add endpoint' }))
    form.set('localities.0.endpoints.1.address', '10.0.0.2')
    form.set('localities.0.endpoints.1.port', '9090')
    fireEvent.click(form.getByRole('button', { name: 'Remove endpoint 1' }))
    const saved = await form.save()
    expect((saved['load_assignment'] as ResourceJson)['endpoints']).toEqual([{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.2', port_value: 9090 } } } }] }])
  })

  it('checks the shape before saving, at the field', async () => {
    const form = renderForm(ClusterForm, demo('Cluster'))
    form.set('localities.0.endpoints.0.port', '')
    form.set('connectTimeout', '5 minutes')
    fireEvent.click(form.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(within(form.field('localities.0.endpoints.0.port')).getByRole('alert').textContent).toBe('a port is required'))
    expect(within(form.field('connectTimeout')).getByRole('alert').textContent).toContain('a duration such as 0.25s')
    expect(form.control('localities.0.endpoints.0.port').getAttribute('aria-invalid')).toBe('true')
    expect(form.onSubmit).not.toHaveBeenCalled()
  })

  it('shows a server issue at the field its path names, and unknown paths above the form', async () => {
    const form = renderForm(ClusterForm, demo('Cluster'), {
      issues: [
        { path: PORT, message: 'port_value: value must be less than or equal to 65535' },
        { path: 'outlier_detection.interval', message: 'outlier_detection.interval: invalid duration' },
      ],
    })
    await waitFor(() => expect(within(form.field('localities.0.endpoints.0.port')).getByRole('alert').textContent).toBe('value must be less than or equal to 65535'))
    const port = form.control('localities.0.endpoints.0.port')
    expect(port.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(port.getAttribute('aria-describedby')!)?.textContent).toContain('65535')
    // Focus goes to the first field with a problem.
    expect(document.activeElement).toBe(port)
    const above = form.getByTestId('form-issues')
    expect(above.textContent).toContain('outlier_detection.interval')
    expect(above.textContent).not.toContain('65535')
  })

  it('lists an issue for an endpoint the form does not have above the form', async () => {
    const form = renderForm(ClusterForm, demo('Cluster'), { issues: [{ path: 'load_assignment.endpoints[3].lb_endpoints[0].endpoint', message: 'bad' }] })
    await waitFor(() => expect(form.getByTestId('form-issues').textContent).toContain('load_assignment.endpoints[3]'))
  })

  it('makes an EDS cluster served over ADS and drops the inline endpoints', async () => {
    const form = renderForm(ClusterForm, demo('Cluster'))
    form.set('type', 'EDS')
    await waitFor(() => expect(form.queryByTestId('endpoints-fieldset')).toBeNull())
    const saved = await form.save()
    expect(saved).toMatchObject({ type: 'EDS', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } } })
    expect(saved['load_assignment']).toBeUndefined()
  })

  it('submits with Enter in a field', async () => {
    const form = renderForm(ClusterForm, demo('Cluster'))
    // happy-dom does no implicit submission; a submit event is what the browser sends on Enter.
    fireEvent.submit(form.container.querySelector('form')!)
    await waitFor(() => expect(form.onSubmit).toHaveBeenCalledWith(demo('Cluster')))
  })
})

describe('ListenerForm', () => {
  it('switches the demo listener to a TCP proxy with TLS from SDS', async () => {
    const form = renderForm(ListenerForm, { ...demo('Listener'), per_connection_buffer_limit_bytes: 1024 })
    expect(form.control('routeConfigName').value).toBe('local_route')
    fireEvent.click(form.container.querySelector('input[type="radio"][value="tcp"]')!)
    await waitFor(() => expect(form.control('cluster')).toBeTruthy())
    form.set('cluster', 'db')
    form.set('statPrefix', 'db')
    form.set('port', '5432')
    form.set('tlsSecret', 'web-cert')
    const saved = await form.save()
    expect(saved['per_connection_buffer_limit_bytes']).toBe(1024)
    expect(saved['address']).toEqual({ socket_address: { address: '0.0.0.0', port_value: 5432 } })
    const chain = (saved['filter_chains'] as ResourceJson[])[0]!
    expect(chain['filters']).toEqual([{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: 'db', cluster: 'db' } }])
    expect(chain['transport_socket']).toMatchObject({ typed_config: { common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'web-cert', sds_config: { ads: {} } }] } } })
  })

  it('lists the fleet’s route configurations and marks a missing one', () => {
    const form = renderForm(ListenerForm, demo('Listener'), { pickers: { ...PICKERS, routes: ['admin'] } })
    const options = [...form.control('routeConfigName').querySelectorAll('option')].map((o) => o.textContent)
    expect(options).toEqual(['Choose a route configuration…', 'local_route (missing)', 'admin'])
    expect(form.field('routeConfigName').textContent).toContain('a commit will refuse it')
  })

  it('shows an address clash at the port', async () => {
    const form = renderForm(ListenerForm, demo('Listener'), { issues: [{ path: 'address.socket_address.port_value', message: 'TCP 0.0.0.0:10000 is already used by listener other' }] })
    await waitFor(() => expect(within(form.field('port')).getByRole('alert').textContent).toContain('already used by listener other'))
  })
})

describe('RouteConfigForm', () => {
  const rc: ResourceJson = {
    name: 'local_route',
    virtual_hosts: [
      {
        name: 'local_service',
        domains: ['*'],
        routes: [
          { match: { prefix: '/' }, route: { cluster: 'service' } },
          { match: { path: '/old' }, redirect: { path_redirect: '/new' } },
        ],
      },
    ],
  }

  it('edits a route: exact path, a header, weighted clusters, timeout, retries, rewrite; keeps the locked route', async () => {
    const form = renderForm(RouteConfigForm, rc)
    expect(form.getAllByTestId('route-card')[1]!.textContent).toContain('it is a redirect')
    const r = 'virtualHosts.0.routes.0'
    form.set(`${r}.matchKind`, 'path')
    form.set(`${r}.matchValue`, '/api')
    fireEvent.click(form.getByRole('button', { name: 'Match a header' }))
    form.set(`${r}.headers.0.name`, 'x-canary')
    form.set(`${r}.headers.0.value`, '1')
    form.set(`${r}.target`, 'weighted')
    await waitFor(() => expect(form.getByRole('button', { name: 'Add cluster' })).toBeTruthy())
    fireEvent.click(form.getByRole('button', { name: 'Add cluster' }))
    fireEvent.click(form.getByRole('button', { name: 'Add cluster' }))
    form.set(`${r}.weightedClusters.0.name`, 'service')
    form.set(`${r}.weightedClusters.0.weight`, '90')
    form.set(`${r}.weightedClusters.1.name`, 'api')
    form.set(`${r}.weightedClusters.1.weight`, '10')
    form.set(`${r}.timeout`, '5s')
    form.set(`${r}.retryOn`, '5xx')
    form.set(`${r}.numRetries`, '2')
    form.set(`${r}.prefixRewrite`, '/v2')
    const saved = await form.save()
    expect(saved).toEqual({
      name: 'local_route',
      virtual_hosts: [
        {
          name: 'local_service',
          domains: ['*'],
          routes: [
            {
              match: { path: '/api', headers: [{ name: 'x-canary', string_match: { exact: '1' } }] },
              route: { weighted_clusters: { clusters: [{ name: 'service', weight: 90 }, { name: 'api', weight: 10 }] }, timeout: '5s', retry_policy: { retry_on: '5xx', num_retries: 2 }, prefix_rewrite: '/v2' },
            },
            { match: { path: '/old' }, redirect: { path_redirect: '/new' } },
          ],
        },
      ],
    })
  })

  it('moves routes: order decides which matches first', async () => {
    const form = renderForm(RouteConfigForm, rc)
    fireEvent.click(form.getByRole('button', { name: 'Move route 2 up' }))
    const saved = await form.save()
    const routes = ((saved['virtual_hosts'] as ResourceJson[])[0]!['routes'] as ResourceJson[]).map((route) => route['match'])
    expect(routes).toEqual([{ path: '/old' }, { prefix: '/' }])
  })

  it('puts a missing-cluster issue at the route’s cluster picker', async () => {
    const form = renderForm(RouteConfigForm, rc, { issues: [{ path: 'virtual_hosts[0].routes[0].route.cluster', message: "refers to cluster 'nope', which does not exist" }] })
    await waitFor(() => expect(within(form.field('virtualHosts.0.routes.0.cluster')).getByRole('alert').textContent).toContain('does not exist'))
  })
})

describe('EndpointsForm', () => {
  it('builds a load assignment by locality', async () => {
    const form = renderForm(EndpointsForm, { cluster_name: 'api', policy: { overprovisioning_factor: 140 } }, { mode: 'edit' })
    fireEvent.click(form.getByRole('button', { name: 'Add an endpoint' }))
    form.set('localities.0.region', 'eu-west-1')
    form.set('localities.0.zone', 'eu-west-1a')
    form.set('localities.0.endpoints.0.address', '10.0.0.1')
    form.set('localities.0.endpoints.0.port', '80')
    form.set('localities.0.endpoints.0.weight', '2')
    const saved = await form.save()
    expect(saved).toEqual({
      cluster_name: 'api',
      policy: { overprovisioning_factor: 140 },
      endpoints: [{ locality: { region: 'eu-west-1', zone: 'eu-west-1a' }, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 80 } } }, load_balancing_weight: 2 }] }],
    })
  })
})
