export function App() { return <h1>Keysmith</h1>; }
