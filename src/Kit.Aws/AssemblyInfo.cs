namespace Kit.Aws;
