export function ComplianceScreen() { return null; }
