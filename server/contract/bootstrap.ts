/** GET /fleets/{fleet}/bootstrap?format=&node_id=&xds_host=&xds_port=&admin_port= */
export { BootstrapQuery } from '../config/bootstrap'
