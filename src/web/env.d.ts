// Vite's asset imports as the pages use them (`?url`: the built file's URL).
declare module '*?url' {
  const url: string;
  export default url;
}
