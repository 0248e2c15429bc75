/**
 * Which command lines the warm renderer takes: `slipway synth --stdout ...` only, the Argo CD
 * plugin's generate command. Anything that would write files (`-o`, `--package`, `--push`) or is
 * another command is declined, and the client runs it cold: the server never writes outside its socket.
 */

/** Long options that write or publish something: the server declines them. */
const WRITING = ['--output', '--package', '--push', '--plain-http', '--force', '--force-replace'];

/** Why `args` is not served warm, or undefined when it is. */
export function declineReason(args: readonly string[]): string | undefined {
  if (args[0] !== 'synth') return 'only `synth --stdout` is served warm';
  const end = args.indexOf('--');
  const options = args.slice(1, end === -1 ? undefined : end);
  if (!options.includes('--stdout')) return 'only `synth --stdout` is served warm';
  for (const a of options) {
    if (WRITING.some((w) => a === w || a.startsWith(`${w}=`))) return `${a} is not served warm`;
    // A cluster of short flags (-qo dir, -o dir, -odir): any `o` in it is the output option.
    if (/^-[^-]/.test(a) && a.slice(1).includes('o')) return `${a} is not served warm`;
  }
  return undefined;
}
