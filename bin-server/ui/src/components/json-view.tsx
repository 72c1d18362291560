import { useState } from 'preact/hooks';
import type { JsonNode } from '../lib/json.js';
import { Highlighted } from './highlight.js';

const PAGE = 200;

interface NodeProps {
  node: JsonNode;
  /** Key in the parent object, or undefined for array items and the root. */
  name?: string;
  depth: number;
  last: boolean;
  collapseBelow: number;
}

function Scalar({ node }: { node: JsonNode }) {
  switch (node.kind) {
    case 'string':
      // JSON.stringify shows the string as JSON: quotes, \n and \u escapes visible, HTML inert text.
      return (
        <span class="j-string">
          <Highlighted text={JSON.stringify(node.value)} />
        </span>
      );
    case 'number':
      return (
        <span class="j-number">
          <Highlighted text={node.raw} />
        </span>
      );
    case 'literal':
      return <span class={node.raw === 'null' ? 'j-null' : 'j-bool'}>{node.raw}</span>;
    default:
      return null;
  }
}

function Key({ name }: { name: string | undefined }) {
  if (name === undefined) return null;
  return (
    <>
      <span class="j-key">
        <Highlighted text={JSON.stringify(name)} />
      </span>
      <span class="j-punct">: </span>
    </>
  );
}

function JsonNodeView({ node, name, depth, last, collapseBelow }: NodeProps) {
  const [open, setOpen] = useState(depth < collapseBelow);
  const [shown, setShown] = useState(PAGE);
  const comma = last ? '' : ',';
  if (node.kind !== 'object' && node.kind !== 'array') {
    return (
      <div class="j-line">
        <Key name={name} />
        <Scalar node={node} />
        <span class="j-punct">{comma}</span>
      </div>
    );
  }
  const isObject = node.kind === 'object';
  const size = isObject ? node.entries.length : node.items.length;
  const [openChar, closeChar] = isObject ? ['{', '}'] : ['[', ']'];
  if (size === 0) {
    return (
      <div class="j-line">
        <Key name={name} />
        <span class="j-punct">
          {openChar}
          {closeChar}
          {comma}
        </span>
      </div>
    );
  }
  const toggle = (
    <button
      type="button"
      class={`j-toggle ${open ? 'is-open' : ''}`}
      aria-expanded={open}
      aria-label={`${open ? 'Collapse' : 'Expand'} ${name ?? (isObject ? 'object' : 'array')}`}
      onClick={() => setOpen(!open)}
    />
  );
  if (!open) {
    return (
      <div class="j-line">
        {toggle}
        <Key name={name} />
        <button type="button" class="j-collapsed" onClick={() => setOpen(true)}>
          {openChar}…{closeChar}
        </button>
        <span class="j-meta">
          {' '}
          {size} {isObject ? (size === 1 ? 'key' : 'keys') : size === 1 ? 'item' : 'items'}
        </span>
        <span class="j-punct">{comma}</span>
      </div>
    );
  }
  const children = isObject ? node.entries.slice(0, shown) : node.items.slice(0, shown);
  return (
    <div class="j-block">
      <div class="j-line">
        {toggle}
        <Key name={name} />
        <span class="j-punct">{openChar}</span>
      </div>
      <div class="j-children">
        {children.map((child, i) => {
          const [childName, childNode] = isObject
            ? (child as [string, JsonNode])
            : [undefined, child as JsonNode];
          return (
            <JsonNodeView
              key={i}
              node={childNode}
              name={childName}
              depth={depth + 1}
              last={i === size - 1}
              collapseBelow={collapseBelow}
            />
          );
        })}
        {size > shown && (
          <button
            type="button"
            class="button button-small j-more"
            onClick={() => setShown(shown + PAGE)}
          >
            Show {Math.min(PAGE, size - shown)} more of {size - shown}
          </button>
        )}
      </div>
      <div class="j-line">
        <span class="j-punct">
          {closeChar}
          {comma}
        </span>
      </div>
    </div>
  );
}

/** Pretty JSON as a collapsible tree; every value is rendered as text. */
export function JsonView({
  root,
  collapseBelow = Infinity,
}: {
  root: JsonNode;
  collapseBelow?: number;
}) {
  return (
    <div class="json-view mono" role="group" aria-label="JSON">
      <JsonNodeView node={root} depth={0} last collapseBelow={collapseBelow} />
    </div>
  );
}
