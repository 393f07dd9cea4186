namespace Kit.Notebooks;
