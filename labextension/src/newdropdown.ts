/**
 * Notebook 7's file browser has a "New" dropdown of its own: a menu bar in the toolbar (class
 * `jp-DropdownMenu`) whose one menu lists a notebook per kernel, then other documents. It takes no
 * items from other extensions, and it is rebuilt (cleared, then filled) when the kernelspecs
 * change. So the item is put into that menu whenever the menu is about to open, after the last
 * "new notebook" item. JupyterLab's file browser has no such widget: nothing happens there.
 */

import { Message, MessageLoop } from '@lumino/messaging';
import { Menu, PanelLayout, Widget } from '@lumino/widgets';

const NEW_NOTEBOOK = 'notebook:create-new';

/** Add `command` to the "New" dropdown of `toolbar`, now or when the toolbar gets it. */
export function addToNewDropdown(toolbar: Widget, command: string): void {
  const children = toolbar.layout instanceof PanelLayout ? toolbar.layout.widgets : [];
  if (children.some(child => attach(child, command))) {
    return;
  }
  const hook = (_handler: unknown, message: Message): boolean => {
    if (message.type === 'child-added' && attach((message as Widget.ChildMessage).child, command)) {
      MessageLoop.removeMessageHook(toolbar, hook);
    }
    return true;
  };
  MessageLoop.installMessageHook(toolbar, hook);
}

function attach(widget: Widget, command: string): boolean {
  const menus = (widget as { menus?: ReadonlyArray<Menu> }).menus;
  const menu = widget.hasClass('jp-DropdownMenu') && menus !== undefined ? menus[0] : undefined;
  if (menu === undefined) {
    return false;
  }
  ensureItem(menu, command);
  MessageLoop.installMessageHook(menu, (_handler, message) => {
    if (message.type === 'before-attach') {
      ensureItem(menu, command); // the menu opens: put the item back if a rebuild dropped it
    }
    return true;
  });
  return true;
}

function ensureItem(menu: Menu, command: string): void {
  const items = menu.items;
  if (items.some(item => item.command === command)) {
    return;
  }
  let after = -1;
  items.forEach((item, index) => {
    if (item.command === NEW_NOTEBOOK) {
      after = index;
    }
  });
  menu.insertItem(after + 1, { command });
}
