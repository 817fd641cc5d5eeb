// Lets TypeScript accept the stylesheet import and other Vite asset imports.
/// <reference types="vite/client" />
