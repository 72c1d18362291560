/**
 * Copies text. The Clipboard API needs a secure context (https or loopback); on a plain-http LAN
 * address the old selection-based copy still works.
 */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  try {
    if (!document.execCommand('copy'))
      throw new Error('The browser refused to copy; select the text and copy it by hand.');
  } finally {
    area.remove();
  }
}
