import { render } from 'preact';
render(<p>umhooks</p>, document.body);
