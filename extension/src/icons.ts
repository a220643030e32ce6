import { LabIcon } from '@jupyterlab/ui-components';

/** The panel's icon: three nodes flowing into one. */
export const dataflowIcon = new LabIcon({
  name: 'jupyterlab-dagcells:dataflow',
  svgstr: `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <rect x="2" y="3" width="6" height="4" rx="1"/>
    <rect x="2" y="10" width="6" height="4" rx="1"/>
    <rect x="2" y="17" width="6" height="4" rx="1"/>
    <rect x="16" y="10" width="6" height="4" rx="1"/>
    <path d="M8 5c4 0 4 7 8 7M8 12h8M8 19c4 0 4-7 8-7" fill="none" stroke="#616161" stroke-width="1.5"/>
  </g>
</svg>`
});
