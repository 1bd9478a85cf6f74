"""Tables of figures a department keeps by hand or imports (`FigureTable`): the women and men of each
police rank per region and year, say. Not reviewed records: official figures, entered or imported by
the department's supervisors and head, each change in their history."""
