/**
 * Detached processes (a container's main process) do not drive virtual time: the foreground
 * command does. When one of them has to wake up at a given time (the end of a `sleep` in its
 * script), the foreground's wait pauses at that moment so the process's next steps happen then.
 */
import type { World } from '../sim/net/world.ts';

const wakeups = new WeakMap<World, number>();

/** How many detached processes have woken up in this world so far. */
export function wakeupCount(world: World): number {
  return wakeups.get(world) ?? 0;
}

/** Resolve when virtual time reaches `at`, without driving the clock. */
export function sleepUntil(world: World, at: number): Promise<void> {
  return new Promise((resolve) =>
    world.sched.at(at, () => {
      wakeups.set(world, wakeupCount(world) + 1);
      resolve();
    }),
  );
}
