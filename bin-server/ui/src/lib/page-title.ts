// The tab's title: the page's name, led by "(N)" while N captured requests wait unseen, so a
// background tab says there is something new.
let base = document.title;
let unseen = 0;

function render(): void {
  document.title = unseen > 0 ? `(${unseen}) ${base}` : base;
}

export function setPageTitle(title: string): void {
  base = title;
  render();
}

export function setUnseenCount(count: number): void {
  unseen = count;
  render();
}
