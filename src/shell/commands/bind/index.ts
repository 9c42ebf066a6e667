/** bind 9.18's DNS tools (dig, nslookup, host) as the `bind` flavour. */
export { digCommand, bindNslookupCommand, hostCommand } from './tools.ts';
