import type protobuf from 'protobufjs'
import { DEMO_FLEET, DEMO_RESOURCES } from '../config/demo'
import { isLegationError } from '../errors'
import type { Logger } from '../log'
import type { ValueCipher } from '../config/sealed-values'
import type { Db } from '../store/db'
import { countFleets } from '../store/fleets'
import { importFleet } from './import-fleet'

/** On first start with an empty database, create the `demo` fleet at version 1. */
export async function seedDemoFleet(options: { db: Db; root: protobuf.Root; cipher: ValueCipher; log: Logger }): Promise<boolean> {
  if ((await countFleets({ db: options.db })) > 0) return false
  try {
    await importFleet({ ...options, name: DEMO_FLEET.name, description: DEMO_FLEET.description, resources: DEMO_RESOURCES, message: 'Demo config', actor: 'legation' })
    options.log.info({ fleet: DEMO_FLEET.name }, 'seeded the demo fleet')
    return true
  } catch (err) {
    // Another replica seeded it at the same moment.
    if (isLegationError(err) && err.code === 'FLEET.EXISTS') return false
    throw err
  }
}
