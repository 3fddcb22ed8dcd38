/** /exceptions: the last errors with their stacks, and the story (transition log) of a key. */
import './style.css';
import type { ExceptionEntry, StoryResponse } from '../../src/dashboard/protocol.js';
import { byId, h, header } from './dom.js';
import { runLive } from './live.js';

const input = h('input', { id: 'story-key', type: 'text', placeholder: 'a task key', size: 50 });
const form = h('form', { id: 'story-form' }, input, h('button', { type: 'submit' }, 'Story'));
document.body.append(
  header('exceptions'),
  h(
    'main',
    {},
    h('section', {}, h('h2', {}, 'Exceptions ', h('span', { id: 'exception-count', class: 'muted' })), h('div', { id: 'exceptions' })),
    h('section', {}, h('h2', {}, 'Task story'), form, h('div', { id: 'story' })),
  ),
);

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (input.value.trim()) void showStory(input.value.trim());
});

async function showStory(key: string): Promise<void> {
  input.value = key;
  const el = byId('story');
  el.textContent = 'loading…';
  try {
    const r = await fetch(`api/story?key=${encodeURIComponent(key)}`);
    if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
    const story = (await r.json()) as StoryResponse;
    const t0 = story.length ? story[0].time : 0;
    el.replaceChildren(
      story.length
        ? h(
            'table',
            { class: 'table', id: 'story-table', 'data-key': key },
            h('thead', {}, h('tr', {}, ...['+ms', 'from', 'to', 'worker', 'cause'].map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              ...story.map((s) => h('tr', {}, h('td', { class: 'num' }, String(s.time - t0)), h('td', {}, s.from), h('td', {}, s.to), h('td', {}, s.worker ?? ''), h('td', {}, s.cause))),
            ),
          )
        : h('p', { class: 'empty', 'data-key': key }, `No transitions recorded for ${key}.`),
    );
  } catch (e) {
    el.textContent = `Could not load the story: ${(e as Error).message}`;
  }
}

function card(e: ExceptionEntry): HTMLElement {
  const div = h(
    'div',
    { class: 'exception', 'data-key': e.key },
    h('div', { class: 'head' }, h('b', {}, `${e.errorType}: ${e.message}`), h('span', { class: 'muted' }, ` — ${e.key}${e.worker ? ` on ${e.worker}` : ''} at ${new Date(e.time).toISOString()}`)),
    h('pre', { class: 'stack' }, e.stack),
  );
  div.addEventListener('click', () => void showStory(e.key));
  return div;
}

runLive({
  render(state, prev) {
    if (state.exceptions === prev.exceptions && prev.connected) return;
    byId('exception-count').textContent = `(${state.exceptions.length})`;
    const list = [...state.exceptions].reverse();
    byId('exceptions').replaceChildren(...(list.length ? list.map(card) : [h('p', { class: 'empty' }, 'No exceptions.')]));
  },
});
const fromUrl = new URLSearchParams(location.search).get('key');
if (fromUrl) void showStory(fromUrl);
