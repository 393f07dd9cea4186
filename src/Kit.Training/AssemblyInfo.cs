namespace Kit.Training;
