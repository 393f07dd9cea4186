namespace Kit.Display;
