import { render } from 'preact';
import { App } from './app.js';
import { startTheme } from './lib/theme.js';
import './styles/index.css';

// Before the first render, so a chosen dark theme never flashes light.
startTheme();
render(<App />, document.getElementById('app')!);
