/**
 * Text for XML and HTML attributes and content: the markup characters escaped, and the characters XML 1.0
 * cannot carry at all (control characters, lone surrogates) dropped, with the colour codes of a stderr tail,
 * so a report stays well-formed whatever an implementation printed.
 */
export function escapeXml(text: unknown): string {
  return (
    String(text)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removes terminal colour codes (ESC [ … m) from text
      .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
      .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}
