export function TradeScreen() { return null; }
