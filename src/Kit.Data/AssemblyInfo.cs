namespace Kit.Data;
