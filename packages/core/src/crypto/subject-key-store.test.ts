import { describeSubjectKeyRewrap } from '../../test/support/subject-key-rewrap-scenarios.js';
import { describeSubjectKeyStoreContract } from '../../test/support/subject-key-store-contract.js';
import { memorySubjectKeyStore } from './subject-key-store.js';

const createStore = () => Promise.resolve(memorySubjectKeyStore());

describeSubjectKeyStoreContract('memorySubjectKeyStore', createStore);
describeSubjectKeyRewrap('memorySubjectKeyStore', createStore);
