// Entry point of dist/editor.js: CodeMirror 6 for podplay's manifest editor, loaded lazily after
// the page's first paint. It publishes `window.podplayEditor` and then fires
// `podplay-editor-ready` on window; the app either finds `window.podplayEditor` already set or
// waits for the event. The API is specified in README.md.
import { mount } from './mount.js';

window.podplayEditor = Object.freeze({ mount });
window.dispatchEvent(new Event('podplay-editor-ready'));
