namespace Kit.Export;
