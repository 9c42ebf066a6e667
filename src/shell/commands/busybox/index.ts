/** BusyBox: Alpine's applets as the `busybox` flavour, and the host's multi-call `busybox`. */
export { BUSYBOX_APPLETS, APPLETS } from './applets.ts';
export { busyboxCommand } from './multicall.ts';
