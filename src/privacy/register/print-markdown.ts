/** `npm run register:markdown`: prints the README's privacy section from the catalogue. */
import { renderRegisterMarkdown } from './render-register';

process.stdout.write(renderRegisterMarkdown());
