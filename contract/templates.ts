/**
 * Template and expression resolution shared with the canvas: a form field's preview resolves `{{ path }}` and
 * `{{= JSONata }}` with the engine's own code, so it cannot read a path differently from a run. All of it is pure
 * (JSONata is interpreted, never compiled to JavaScript), so it runs in the browser under the canvas's CSP.
 */
export { findTemplates, parsePath, resolveTemplates, TemplateError, type PathSegment, type TemplateScope } from '../engine/templates';
export { evaluateExpression, ExpressionError, parseExpression, referencedNodes } from '../engine/expressions';
