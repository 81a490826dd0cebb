/**
 * The one listener for the viewer's actions: each action type has exactly one handler, so a new
 * action cannot be forgotten (the handler table is checked against ViewerAction) or handled twice.
 */
import type { ViewerAction, ViewerActionEvent } from './viewer-events.ts';

export type ViewerActionHandlers = { [K in ViewerAction['type']]: (action: Extract<ViewerAction, { type: K }>) => void | Promise<void> };

export function routeViewerActions(el: HTMLElement, handlers: ViewerActionHandlers): void {
  el.addEventListener('viewer-action', (e) => {
    const action = (e as ViewerActionEvent).action;
    void (handlers[action.type] as (a: ViewerAction) => void | Promise<void>)(action);
  });
}
