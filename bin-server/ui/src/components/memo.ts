import { Component, h, type ComponentChildren, type FunctionComponent } from 'preact';

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a) as Array<keyof typeof a>;
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** Skips re-rendering when the props are shallowly equal (preact/compat's memo, without compat). */
export function memo<P extends object>(render: FunctionComponent<P>): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !shallowEqual(this.props, next);
    }
    override render(): ComponentChildren {
      return h(render, this.props);
    }
  }
  return (props: P) => h(Memo, props);
}
