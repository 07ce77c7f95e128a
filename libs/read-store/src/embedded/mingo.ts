import type * as UpdateOperators from 'mingo/types/operators/update';
import type * as Util from 'mingo/types/util';

/*
 * mingo publishes these modules only through its package.json `exports` (`mingo/util`,
 * `mingo/operators/update`), which Node follows but this repository's `moduleResolution: node`
 * does not: they are required at run time and typed from their declaration files.
 */
export const { compare, isEqual, isObject, resolve, unique } = require('mingo/util') as typeof Util;
export const { $addToSet, $inc, $max, $min, $pull, $push, $set, $unset } = require('mingo/operators/update') as typeof UpdateOperators;
