/** `npm run register:markdown`: prints the README's privacy section from the catalogue. */
import { readmeRegisterMarkdown } from './render-register';

process.stdout.write(readmeRegisterMarkdown());
