export { type MysqlOptions, mysql, mysql as default, SINK_NAME } from './definition.js';
export { LAYOUTS, type LayoutName, mysqlOptions } from './options.js';
