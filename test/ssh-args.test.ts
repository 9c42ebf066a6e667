/** ssh reads its own options before the destination only: what follows is the remote command. */
import { describe, expect, it } from 'vitest';
import { last, world } from './helpers.ts';

describe('ssh arguments', () => {
  it('options after the destination belong to the command', async () => {
    expect((await last(world('linux'), ['ssh -o StrictHostKeyChecking=no 10.0.0.10 echo -o /dev/null -p 22'])).output).toBe('-o /dev/null -p 22\n');
  });
});
