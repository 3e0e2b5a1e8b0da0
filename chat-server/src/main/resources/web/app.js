// The browser client. Everything a person sends or receives is put on the page as text
// (textContent), never parsed as HTML; the page's CSP allows no inline script besides.

import { state, ui } from './state.js';
import { listEveryone } from './run.js';
import { closeMenu, closePanels, info, renderPrivates, renderRooms, togglePanel, updateTitle } from './view.js';
import { markRead } from './reading.js';
import './session.js';
import './upload.js';

// ------------------------------------------------------------------ notifications, panels

ui.notify.addEventListener('click', async () => {
  const permission = await Notification.requestPermission();
  ui.notify.hidden = true;
  info(null, permission === 'granted'
    ? 'you will be notified of mentions and private messages while this tab is hidden'
    : 'notifications are off (the browser\'s site settings can turn them on)', 'quiet');
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.current) {
    markRead(state.current);
    renderRooms();
    renderPrivates();
    updateTitle();
  }
});

ui.toggleRooms.addEventListener('click', () => togglePanel(ui.sidebar, ui.toggleRooms));
ui.toggleMembers.addEventListener('click', () => togglePanel(ui.members, ui.toggleMembers));
ui.listEveryone.addEventListener('click', () => {
  const conv = state.current;
  if (conv && conv.kind === 'room') {
    listEveryone(conv).catch((e) => info(conv, `could not list the members: ${e.message}`, 'error'));
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    closeMenu();
    closePanels();
  }
});

ui.loginNick.focus();
