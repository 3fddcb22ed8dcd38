/** The landing page: the list of pages. */
import './style.css';
import { h, header } from './dom.js';

document.body.append(
  header(''),
  h(
    'main',
    {},
    h(
      'ul',
      { class: 'pages' },
      h('li', {}, h('a', { href: 'status' }, 'Status'), ': task stream, progress per prefix, memory and processing per worker'),
      h('li', {}, h('a', { href: 'workers' }, 'Workers'), ': one row per worker, its log on click'),
      h('li', {}, h('a', { href: 'graph' }, 'Graph'), ': the task graph coloured by state (a summary by prefix for large graphs)'),
      h('li', {}, h('a', { href: 'exceptions' }, 'Exceptions'), ': the last errors and the story of a key'),
      h('li', {}, h('a', { href: 'metrics' }, '/metrics'), ': Prometheus text format'),
    ),
  ),
);
