/**
 * The divlab JupyterLab extension: a MIME renderer extension for divlab's display payloads
 * (`application/vnd.divlab.v1+json`, sent by `display.show()` from a tslab kernel). Rank 0 puts it
 * ahead of the text/plain summary sent beside it.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { MIME_TYPE, rendererFactory } from './renderer.js';

const extension: IRenderMime.IExtension = {
  id: 'divlab:mimerenderer',
  description: `Renders divlab results (${MIME_TYPE}): estimates, sweeps, training curves, bandwidth criteria, vector fields and Gaussian iterates, with reactive controls.`,
  rendererFactory,
  rank: 0,
  dataType: 'json',
};

export default extension;
