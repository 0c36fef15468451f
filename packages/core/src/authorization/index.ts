export * from './actor.js';
export * from './permissions.js';
export * from './role-permissions.js';
export * from './authorize.js';
export * from './break-glass-grant.js';
export * from './break-glass-store.js';
export * from './break-glass.js';
