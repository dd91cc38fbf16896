/** Polls `check` every 10 ms for up to 2 s; throws naming `what` when it never becomes true. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await Bun.sleep(10);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}
