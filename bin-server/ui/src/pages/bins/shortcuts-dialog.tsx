import { Dialog } from '../../components/dialog.js';

const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ['/'], what: 'Search the requests' },
  { keys: ['j'], what: 'Open the next (older) request' },
  { keys: ['k'], what: 'Open the previous (newer) request' },
  { keys: ['↑', '↓', 'Enter'], what: 'Move through the focused list and open' },
  { keys: ['?'], what: 'Show these shortcuts' },
  { keys: ['Esc'], what: 'Close a dialog' },
];

/** The bin page's keyboard shortcuts, opened with `?`. */
export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  return (
    <Dialog
      title="Keyboard shortcuts"
      size="small"
      onClose={onClose}
      class="shortcuts-dialog"
      footer={
        <button type="button" class="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <table class="data-table">
        <caption class="visually-hidden">Keyboard shortcuts</caption>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td class="nowrap">
                {s.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
