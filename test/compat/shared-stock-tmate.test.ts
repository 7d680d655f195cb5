// The shared relay-side expectations, run against the stock tmate 2.4.0 client.
import { defineHostSuite, stockTmateDriver } from './shared-host-suite.js';

defineHostSuite(stockTmateDriver);
