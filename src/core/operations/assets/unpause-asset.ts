import { assetPauseOperation } from './pausing.js';

export const unpauseAsset = assetPauseOperation('unpause_asset', false);
