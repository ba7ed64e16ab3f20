import type protobuf from 'protobufjs'
import { encodeMessage, messageNameOfTypeUrl } from '../config/proto-json'
import type { JsonValue } from '../config/resource-types'
import { buildClientConfig, matchesString, type ClientStatusRequest, type ClientStatusResponse } from '../status/csds'
import type { CallerServices } from './index'

/**
 * CSDS from the status every replica writes: connected proxies (optionally filtered by node id
 * matchers), each with what was last sent per resource. Resource contents come from the config dump,
 * so sealed private keys stay redacted here too. Node metadata matchers are not supported yet.
 */
export async function answerClientStatus(options: { services: CallerServices; root: protobuf.Root; request: ClientStatusRequest }): Promise<ClientStatusResponse> {
  const { services, root, request } = options
  const matchers = request.node_matchers ?? []
  const proxies = (await services.proxies.list({})).filter((p) => p.state !== 'DISCONNECTED' && (matchers.length === 0 || matchers.some((m) => matchesString(m.node_id, p.nodeId))))
  const config = await Promise.all(
    proxies.map(async (proxy) => {
      if (request.exclude_resource_contents) return buildClientConfig(proxy, () => null)
      const { configDump } = await services.proxies.get(proxy.nodeId)
      const bytes = new Map<string, Uint8Array>()
      for (const entry of configDump) {
        const messageName = messageNameOfTypeUrl(entry.typeUrl)
        if (!messageName) continue
        for (const r of entry.resources) bytes.set(`${entry.typeUrl}\n${r.name}`, encodeMessage(root, messageName, r.resource as JsonValue))
      }
      return buildClientConfig(proxy, (typeUrl, name) => bytes.get(`${typeUrl}\n${name}`) ?? null)
    }),
  )
  return { config }
}
