// The Schemas view: the registry's subjects (versions, compatibility level, type) and, for the
// chosen subject and version, the schema's text.
import { getJson } from './api.js';
import { fill, h } from './dom.js';
import { int } from './format.js';

export class SchemasView {
  /** @param {HTMLElement} root @param {{ onSelect(subject, version): void, debug: object }} hooks */
  constructor(root, hooks) {
    this.root = root;
    this.hooks = hooks;
    this.snapshot = null;
    this.meta = h('div', { class: 'meta' });
    this.list = h('nav', { class: 'subject-list', id: 'subjects', 'aria-label': 'Subjects' });
    this.detail = h('section', { class: 'card schema-detail', id: 'schema-detail' });
    fill(
      root,
      h('div', { class: 'toolbar' }, h('div', { class: 'title' }, h('h1', {}, 'Schemas'), this.meta)),
      h(
        'div',
        { class: 'split' },
        h('section', { class: 'card' }, h('header', { class: 'card-head' }, h('h2', {}, 'Subjects')), this.list),
        this.detail,
      ),
    );
  }

  /** Loads the subject list, then shows `subject` at `version` (default: the first subject, latest). */
  async show(subject, version) {
    try {
      this.snapshot = await getJson('/api/schemas');
    } catch (err) {
      this.#problem(err);
      return;
    }
    const snap = this.snapshot;
    fill(this.meta, `${snap.registryUrl} · global compatibility ${snap.compatibility}${snap.mode ? ` · mode ${snap.mode}` : ''}`);
    this.hooks.debug.subjects = snap.subjects.map((s) => s.subject);
    if (snap.subjects.length === 0) {
      fill(this.list, h('p', { class: 'muted' }, 'No subjects yet.'));
      fill(
        this.detail,
        h('h2', {}, 'No schemas registered'),
        h(
          'p',
          {},
          'Schemas are registered by producers. `brook generate` registers the clickstream event schema under the subject clickstream-value:',
        ),
        h('pre', {}, 'npx brook generate -nle -gar'),
      );
      return;
    }
    const chosen = snap.subjects.find((s) => s.subject === subject) ?? snap.subjects[0];
    fill(
      this.list,
      snap.subjects.map((s) =>
        h(
          'button',
          {
            type: 'button',
            class: 'subject',
            'aria-current': s.subject === chosen.subject ? 'true' : null,
            dataset: { subject: s.subject },
            onclick: () => this.hooks.onSelect(s.subject, null),
          },
          h('span', { class: 'mono strong' }, s.subject),
          h(
            'span',
            { class: 'subject-meta' },
            `${int(s.versions.length)} version${s.versions.length === 1 ? '' : 's'} · ${s.latest?.schemaType ?? 'AVRO'} · `,
            h(
              'span',
              {
                class: `badge${s.compatibilityIsGlobal ? '' : ' ok'}`,
                title: s.compatibilityIsGlobal ? 'the global level' : 'set on this subject',
              },
              s.compatibility,
            ),
          ),
        ),
      ),
    );
    await this.#detail(chosen, version ?? 'latest');
  }

  async #detail(info, version) {
    let schema;
    try {
      schema = await getJson(`/api/schemas/${encodeURIComponent(info.subject)}/versions/${encodeURIComponent(version)}`);
    } catch (err) {
      fill(this.detail, h('h2', {}, info.subject), h('div', { class: 'banner error', role: 'alert' }, err.message));
      return;
    }
    this.hooks.debug.schema = { subject: schema.subject, version: schema.version };
    fill(
      this.detail,
      h(
        'header',
        { class: 'card-head' },
        h('h2', { class: 'mono' }, schema.subject),
        h('span', { class: 'chart-sub' }, `schema id ${schema.id}`),
      ),
      h(
        'div',
        { class: 'segmented small', role: 'group', 'aria-label': 'Versions' },
        info.versions.map((v) =>
          h(
            'button',
            {
              type: 'button',
              class: 'seg',
              'aria-pressed': String(v === schema.version),
              onclick: () => this.hooks.onSelect(info.subject, v),
            },
            `v${v}`,
          ),
        ),
      ),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Type'),
        h('dd', {}, schema.schemaType),
        h('dt', {}, 'Compatibility'),
        h('dd', {}, info.compatibility, info.compatibilityIsGlobal ? h('span', { class: 'muted' }, ' (global)') : null),
        h('dt', {}, 'Version'),
        h('dd', {}, `${schema.version} of ${info.versions.length}`),
        schema.references.length > 0 ? [h('dt', {}, 'References'), h('dd', {}, String(schema.references.length))] : null,
      ),
      h('pre', { class: 'schema-text', id: 'schema-text' }, schema.schema),
    );
  }

  #problem(err) {
    fill(this.meta, '');
    fill(this.list, h('p', { class: 'muted' }, 'No subjects to show.'));
    fill(
      this.detail,
      h('h2', {}, err.status === 503 ? 'No schema registry configured' : 'The schema registry does not answer'),
      h('p', {}, err.message),
    );
  }
}
