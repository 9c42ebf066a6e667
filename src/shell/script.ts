/**
 * Running a script the way a person types it: split into command lines (a line with `;`, `&&`
 * or a pipe is one command line; a heredoc belongs to the line that opens it; blank and comment
 * lines are skipped), run each in the session, and report what each printed.
 */
import { analyzeInput } from './lang/parser.ts';
import type { CommandIO } from './lang/runtime.ts';
import type { Session } from './session.ts';
import type { TraceEvent } from '../sim/trace/events.ts';

export interface LineResult {
  /** the host and namespace of the shell the line was typed into */
  readonly host: string;
  readonly namespace: string;
  /** the prompt the line was typed at */
  readonly prompt: string;
  readonly command: string;
  readonly exitCode: number;
  /** stdout and stderr merged, in the order written */
  readonly output: string;
  /** the packets' trace events this line caused */
  readonly events: TraceEvent[];
}

/** The namespace label netsim reports: `root` for a host's initial namespace. */
export function namespaceLabel(session: Session): string {
  const ns = session.place.ns;
  return ns.isRoot ? 'root' : (ns.name ?? ns.label);
}

/** Split a script into its command lines. */
export function commandLines(text: string): string[] {
  const a = analyzeInput(text.endsWith('\n') ? text : `${text}\n`, { final: true });
  return a.lines.map((l) => l.text.replace(/\n$/, ''));
}

/** Run one command line, capturing what it prints. */
export async function runLine(session: Session, line: string): Promise<LineResult> {
  let output = '';
  const io: CommandIO = {
    stdin: '',
    out: (t) => {
      output += t;
    },
    err: (t) => {
      output += t;
    },
    tty: session.interactive,
  };
  const host = session.place.host.name;
  const namespace = namespaceLabel(session);
  const prompt = session.prompt();
  const mark = session.world.trace.mark();
  const prevSink = session.backgroundSink;
  session.backgroundSink = session.interactive ? io : null;
  const exitCode = await session.run(line, io);
  session.backgroundSink = prevSink;
  const events = session.world.trace.since(mark);
  return { host, namespace, prompt, command: line, exitCode, output, events };
}

/** Run a whole script; `each` sees every command line's result as it completes. */
export async function runScript(session: Session, text: string, each?: (r: LineResult) => void): Promise<LineResult[]> {
  const out: LineResult[] = [];
  for (const line of commandLines(text)) {
    if (session.ended) break;
    const r = await runLine(session, line);
    out.push(r);
    each?.(r);
  }
  return out;
}
