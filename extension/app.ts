/**
 * The divlab JupyterLab application plugins (package.json "jupyterlab.extension"), beside the MIME
 * renderer (index.ts, "jupyterlab.mimeExtension"). Application plugins get the whole app (the
 * notebook tracker, commands, the theme manager); the reactive-cells plugin joins this array.
 *
 * Today it holds one small plugin: it marks the page with the divlab version that is loaded
 * (`document.body.dataset.divlabExtension`), which the browser tests use to tell "the extension is
 * installed and active" apart from "no divlab output rendered".
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import reactive from './reactive/plugin.js';

const marker: JupyterFrontEndPlugin<void> = {
  id: 'divlab:marker',
  description: 'Marks the page as having the divlab extension active (document.body.dataset.divlabExtension).',
  autoStart: true,
  activate: (_app: JupyterFrontEnd): void => {
    document.body.dataset.divlabExtension = 'active';
  },
};

const plugins: JupyterFrontEndPlugin<unknown>[] = [marker, reactive];

export default plugins;
