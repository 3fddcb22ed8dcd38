/** Why an optional JS peer cannot run here (its package does not load), or undefined when it can. */
export async function loadFailure(load: () => Promise<unknown>, name: string): Promise<string | undefined> {
  try {
    await load();
    return undefined;
  } catch (e) {
    return `${name} does not load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}
