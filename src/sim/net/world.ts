/**
 * The world: hosts, the L2 segments between them, virtual time, seeded randomness and the trace.
 *
 * Everything a simulation run depends on lives here, so two worlds built from the same seed and
 * driven by the same commands produce the same bytes.
 */
import { Rng, hashString } from '../engine/rng.ts';
import { Scheduler, type Micros } from '../engine/scheduler.ts';
import { TraceRecorder } from '../trace/recorder.ts';
import { FileSystem } from './fs.ts';
import { Host, Netns, Segment } from './model.ts';
import { SocketTable } from '../transport/sockets.ts';
import { addLoopback } from './netlink.ts';

export { EPOCH_MS } from '../engine/clock.ts';

export class World {
  readonly sched = new Scheduler();
  readonly rng: Rng;
  readonly trace = new TraceRecorder();
  readonly hosts = new Map<string, Host>();
  readonly segments = new Map<string, Segment>();
  readonly seed: number;
  private serial = 0;
  private packetSeq = 1;
  private pidSeq = 1000;

  constructor(seed = 1) {
    this.seed = seed;
    this.rng = new Rng(seed);
  }

  get now(): Micros {
    return this.sched.now;
  }

  nextSerial(): number {
    return ++this.serial;
  }

  nextPacketId(): number {
    return this.packetSeq++;
  }

  /** A process id, as a shell would report for a background job. */
  nextPid(): number {
    this.pidSeq += 1 + (this.rng.nextU32() % 7);
    return this.pidSeq;
  }

  /** An Rng whose sequence depends only on the world seed and a name (stable MACs per object). */
  rngFor(name: string): Rng {
    return new Rng(hashString(`${this.seed}:${name}`));
  }

  addHost(name: string, fs = new FileSystem()): Host {
    if (this.hosts.has(name)) throw new Error(`host ${name} exists`);
    const h = new Host(this, name, fs);
    addLoopback(h.root);
    this.hosts.set(name, h);
    return h;
  }

  host(name: string): Host | undefined {
    return this.hosts.get(name);
  }

  /** The first host added: where a session starts. */
  firstHost(): Host {
    const h = this.hosts.values().next().value;
    if (!h) throw new Error('world has no host');
    return h;
  }

  makeNetns(host: Host, name: string | null, label: string, fs: FileSystem): Netns {
    const ns = new Netns(this, host, name, label, fs);
    ns.sockets = new SocketTable(ns);
    host.all.push(ns);
    return ns;
  }

  segment(name: string, latency: Micros): Segment {
    let s = this.segments.get(name);
    if (!s) {
      s = new Segment(name, latency);
      this.segments.set(name, s);
    }
    return s;
  }

  /** Every namespace of every host. */
  allNamespaces(): Netns[] {
    const out: Netns[] = [];
    for (const h of this.hosts.values()) out.push(...h.all);
    return out;
  }
}
