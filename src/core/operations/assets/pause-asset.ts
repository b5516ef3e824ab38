import { assetPauseOperation } from './pausing.js';

export const pauseAsset = assetPauseOperation('pause_asset', true);
